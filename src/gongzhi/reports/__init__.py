"""Reports written from the platform's own data: the work summary (工作总结) of an organization for a period,
drafted from the registered figures and edited by the secretary, and the statistical tables (党内统计) of a subtree."""
