from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the public site search index (every live page and document)."

    def handle(self, *args, **options):
        counts = rebuild()
        self.stdout.write(f"Site search: {counts['pages']} pages and {counts['documents']} documents indexed")
