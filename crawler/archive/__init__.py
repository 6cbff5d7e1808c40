"""The Internet Archive as a witness: captures of gone and edited sources."""
