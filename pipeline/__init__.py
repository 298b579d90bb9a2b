"""Orchestration, CLI and writers of the pia-corpus pipeline."""

PARSER_VERSION = "0.1.0"
