"""Page scripts run by ``st.navigation`` in ``dashboard/app.py``."""
