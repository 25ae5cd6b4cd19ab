"""Generated from proto/ by scripts/proto.py. Do not edit."""
