"""Presenters: the handheld's behaviour, with no Kivy import, testable headless."""
