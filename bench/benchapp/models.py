from django.db import models


class BenchNote(models.Model):
    """Matches migration 0001 only. The benchmark copies in 0002 (a nullable column) to time applying it per tenant;
    the model does not declare that column, and nothing reads it."""

    title = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title
