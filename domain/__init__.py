"""The observatory's business logic: pure functions over data frames, no Dagster, no Dash."""
