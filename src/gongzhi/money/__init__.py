"""Money the way the rules want it: party dues (党费) by the 2008 brackets, collected monthly and handed over,
and the activity funds (活动经费) budgeted and spent with two persons' approval; append-only ledgers, disclosed."""
