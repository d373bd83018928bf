"""The site's edge server: releases allocated orders into pick tasks and serves the handheld API."""
