"""Service points: point rules inherited down the organization tree, the append-only
points ledger, balances, rankings, rewards and the points shop."""
