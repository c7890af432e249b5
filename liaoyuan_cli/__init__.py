"""lycli: what Liaoyuan's county and district leaders reported and pledged in January 2024."""

__version__ = "0.2.0"
# The version of the JSON contract (docs/json.md): within it, fields are only ever added.
SCHEMA_VERSION = 2
