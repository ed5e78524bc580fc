from django.db import migrations, models


def blank_the_old_default(apps, schema_editor):
    # "Donation" was the default nobody chose: blank now means "Donation to <publication title>".
    DonationSettings = apps.get_model("donations", "DonationSettings")
    DonationSettings.objects.filter(paypal_item_name="Donation").update(paypal_item_name="")


def restore_the_old_default(apps, schema_editor):
    DonationSettings = apps.get_model("donations", "DonationSettings")
    DonationSettings.objects.filter(paypal_item_name="").update(paypal_item_name="Donation")


class Migration(migrations.Migration):
    dependencies = [("donations", "0003_paypal_business_help_text")]

    operations = [
        migrations.AlterField(
            model_name="donationsettings",
            name="paypal_item_name",
            field=models.CharField(
                blank=True,
                help_text="What PayPal shows the reader. Blank: “Donation to” and the publication's title.",
                max_length=127,
            ),
        ),
        migrations.RunPython(blank_the_old_default, restore_the_old_default),
    ]
