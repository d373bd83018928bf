"""The central order and inventory hub: orders in, allocation to sites, the network-wide picture."""
