"""Log in with a username or a mobile number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from gongzhi.core.fields import lookup


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user_model = get_user_model()
        username = username.strip()
        user = user_model.objects.filter(Q(username=username) | lookup(user_model, "mobile", username)).first()
        if user is None:
            # Spend the same time hashing as for a real account (no account enumeration by timing).
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
