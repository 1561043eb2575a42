"""The use cases: config and data through the core into the View, invoicing, compare, check, fetch and init."""
