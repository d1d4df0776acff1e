"""Custom Rasa 3.6 NLU components (the guards at the end of the pipeline)."""
