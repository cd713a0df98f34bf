"""Service points, the ledger layer: point rules inherited down the organization tree, the append-only
ledger with its caps and totals, balances, manual awards, rewards and the points shop."""
