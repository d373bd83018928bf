"""The centre's JSON API (flask-smorest blueprints under /api/v1)."""
