from django.urls import path

from . import views

app_name = "points"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("entries/<int:pk>/reverse/", views.reverse, name="reverse"),
    path("rules/<int:pk>/", views.rules, name="rules"),
    path("shop/", views.shop, name="shop"),
    path("shop/new/", views.reward_new, name="reward_new"),
    path("shop/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("shop/redemptions/", views.redemptions, name="redemptions"),
    path("manual/", views.manual_awards, name="manual_awards"),
    path("manual/<int:pk>/decide/", views.manual_award_decide, name="manual_award_decide"),
    path("shop/redemptions/<int:pk>/hand-over/", views.hand_over, name="hand_over"),
    path("shop/redemptions/<int:pk>/cancel/", views.cancel_redemption, name="cancel_redemption"),
]
