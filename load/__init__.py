"""``make load``: a street-wide event under load (Locust), against gongzhi under gunicorn on 127.0.0.1."""
