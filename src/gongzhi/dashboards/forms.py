from django import forms
from django.utils.translation import gettext_lazy as _


class KioskTokenForm(forms.Form):
    label = forms.CharField(label=_("Where the screen is shown"), max_length=60,
                            help_text=_("E.g. the hall of the party and mass service centre."))
