from django.urls import path

from donations import views

app_name = "donations"

urlpatterns = [
    path("", views.DonateView.as_view(), name="donate"),
    path("checkout/", views.checkout, name="checkout"),
    path("thanks/", views.ThanksView.as_view(), name="thanks"),
    path("cancelled/", views.DonateView.as_view(cancelled=True), name="cancelled"),
    path("paypal/ipn/", views.paypal_ipn, name="paypal-ipn"),
]
