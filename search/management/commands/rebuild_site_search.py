from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the public site search index (every live page, document and registered registry entry)."

    def handle(self, *args, **options):
        counts = rebuild()
        self.stdout.write(
            f"Site search: {counts['pages']} pages, {counts['documents']} documents "
            f"and {counts['items']} registry entries indexed"
        )
