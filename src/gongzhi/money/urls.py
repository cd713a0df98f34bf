from django.urls import path

from . import views

app_name = "money"
urlpatterns = [
    path("", views.index, name="index"),
    path("rates/", views.rates_page, name="rates"),
    # Dues.
    path("dues/<int:pk>/", views.sheet, name="sheet"),
    path("dues/<int:pk>/pay/", views.pay, name="pay"),
    path("dues/<int:pk>/arrears/", views.arrears, name="arrears"),
    path("dues/<int:pk>/hand-over/", views.handover_new, name="handover_new"),
    path("dues/<int:pk>/export/", views.export_dues, name="export_dues"),
    path("dues/<int:pk>/import/", views.statement_import, name="statement_import"),
    path("dues/<int:pk>/import/report/", views.statement_report, name="statement_report"),
    path("members/<int:pk>/", views.member_dues, name="member"),
    path("members/<int:pk>/pay/", views.member_pay, name="member_pay"),
    path("members/<int:pk>/base/", views.declare_base, name="declare_base"),
    path("members/<int:pk>/base/reveal/", views.reveal_base, name="reveal_base"),
    path("payments/<int:pk>/reverse/", views.reverse_payment, name="reverse_payment"),
    path("mine/", views.mine, name="mine"),
    path("hand-overs/", views.handovers, name="handovers"),
    path("hand-overs/<int:pk>/confirm/", views.handover_confirm, name="handover_confirm"),
    # Funds.
    path("funds/<int:pk>/", views.funds, name="funds"),
    path("funds/<int:pk>/lines/", views.budget_line, name="budget_line"),
    path("funds/<int:pk>/approval/", views.approval_setting, name="approval_setting"),
    path("funds/<int:pk>/spend/", views.expenditure_new, name="expenditure_new"),
    path("funds/<int:pk>/disclosure/", views.disclosure, name="disclosure"),
    path("funds/<int:pk>/export/", views.export_funds, name="export_funds"),
    path("expenditures/<int:pk>/", views.expenditure, name="expenditure"),
    path("expenditures/<int:pk>/step/", views.expenditure_step, name="expenditure_step"),
    path("expenditures/<int:pk>/receipt/", views.receipt, name="receipt"),
]
