"""lycli: what Liaoyuan's county and district leaders reported and pledged in January 2024."""

__version__ = "0.1.0"
