"""Dashboards and the big screen (党建驾驶舱): the figures every app registers in its ``stats.py``, for a
street, a community or village and a branch, as charts and tables; a kiosk link for a hall display that
shows aggregates only; and the figures API (``/api/stats/``)."""
