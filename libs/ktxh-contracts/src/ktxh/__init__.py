"""KTXH contracts: Python code generated from proto/ by scripts/proto.py. Do not edit.

Regenerate with ``uv run python scripts/proto.py`` (``make proto``).
"""
