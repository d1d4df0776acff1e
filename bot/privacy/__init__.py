"""Privacy helpers of the runtime: masking contact details before Rasa, redacting secrets in logs."""
