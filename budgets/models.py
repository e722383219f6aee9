"""Models of the budgets app arrive with the budgets issue."""
