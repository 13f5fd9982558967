"""The crews: one per piece of creative work, their tasks in config/tasks.yaml."""
