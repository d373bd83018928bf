"""Pure picking rules of one site: no Flask, SQLite, MQTT or clock in here."""
