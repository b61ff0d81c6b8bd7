"""Scripts run inside .venv-validators (Python 3.11, pandas < 2), never imported by Cairn."""
