"""REST for periods and reports (`/api/v1/periods`, `/api/v1/submissions`)."""
