"""Rasa SDK actions: thin translators between the conversation and the libraries.

The action server's entry point (bot.action_server) warms the catalogue up at start.
"""
