from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import Client
from tenants.provisioning import tenant_provision
from tenants.services import tenant_create
from tenants.tasks import tenant_provision_task


class Command(BaseCommand):
    help = (
        "Creates a tenant and provisions its schema by cloning the template; with --retry, provisions an existing "
        "tenant that is not ready. Queues the work on Celery unless --now is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("schema_name")
        parser.add_argument("--name")
        parser.add_argument("--domain")
        parser.add_argument("--kind", default=Client.Kind.ENTERPRISE, choices=[Client.Kind.CONSUMER, "enterprise"])
        parser.add_argument("--region", default="NA", choices=Client.Region.values)
        parser.add_argument("--language", default="en")
        parser.add_argument("--currency", default="USD")
        parser.add_argument("--retry", action="store_true", help="Provision an existing tenant again.")
        parser.add_argument("--now", action="store_true", help="Provision in this process instead of queueing.")

    def handle(self, *args, **o) -> None:
        if o["retry"]:
            client = Client.objects.filter(schema_name=o["schema_name"]).first()
            if client is None:
                raise CommandError(f"No tenant has the schema {o['schema_name']!r}.")
        else:
            if not o["name"] or not o["domain"]:
                raise CommandError("--name and --domain are required to create a tenant.")
            try:
                client = tenant_create(
                    name=o["name"],
                    schema_name=o["schema_name"],
                    domain=o["domain"],
                    kind=o["kind"],
                    region=o["region"],
                    language=o["language"],
                    currency=o["currency"],
                    provision=False,
                )
            except ValidationError as exc:
                lines = [f"{field}: {'; '.join(errors)}" for field, errors in exc.message_dict.items()]
                raise CommandError("\n".join(lines)) from None
        if o["now"]:
            tenant_provision(client_id=client.pk)
            self.stdout.write(self.style.SUCCESS(f"{client.schema_name}: ready"))
        else:
            result = tenant_provision_task.delay(client.pk)
            self.stdout.write(f"{client.schema_name}: provisioning queued as task {result.id}")
