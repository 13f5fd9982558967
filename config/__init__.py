"""Settings (the one reader of the environment) and YAML configuration."""
