"""Audit stored Wagtail images and documents: does each file's extension match its content?

Files stored before core/uploads.py kept the uploaded name's extension, so a PNG named `x.html` may
sit in MEDIA_ROOT as `original_images/….html` and be served as a web page. This command detects the
format of every original image and document by content (the same code as the upload checks) and
reports mismatches; `--fix` renames them to the detected extension (file and database row).
Files whose format is not one we accept are reported as unknown and left for a person to judge.
Exit status 1 while anything is left unresolved, so it can run from cron or a deploy check.
"""

from pathlib import PurePath

from django.core.management.base import BaseCommand, CommandError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from core.uploads import document_format, image_format, same_format


def _image_ext(fh):
    found = image_format(fh)
    return found[0] if found else None


class Command(BaseCommand):
    help = "Report (and with --fix rename) stored images and documents whose extension does not match their content."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="rename mismatched files to the detected extension (file + database)"
        )

    def handle(self, *args, fix=False, verbosity=1, **options):
        self.fix, self.verbosity = fix, verbosity
        self.counts = {"checked": 0, "ok": 0, "mismatch": 0, "renamed": 0, "unknown": 0, "missing": 0}
        for kind, model, detect in (
            ("image", get_image_model(), _image_ext),
            ("document", get_document_model(), document_format),
        ):
            for obj in model.objects.order_by("pk").iterator():
                self.check_one(kind, model, obj, detect)
        c = self.counts
        summary = (
            f"Checked {c['checked']} files: {c['ok']} fine, {c['mismatch']} with a wrong extension "
            f"({c['renamed']} renamed), {c['unknown']} of unknown format, {c['missing']} missing."
        )
        unresolved = c["mismatch"] - c["renamed"] + c["unknown"] + c["missing"]
        if unresolved:
            if c["mismatch"] > c["renamed"]:
                summary += " Run with --fix to rename the mismatched files."
            self.stdout.write(summary)
            raise CommandError(f"{unresolved} file(s) need attention (see above).")
        self.stdout.write(self.style.SUCCESS(summary))

    def check_one(self, kind, model, obj, detect):
        self.counts["checked"] += 1
        name = obj.file.name
        label = f"{kind} #{obj.pk} «{obj.title}»: {name}"
        storage = obj.file.storage
        if not name or not storage.exists(name):
            self.counts["missing"] += 1
            self.stdout.write(self.style.WARNING(f"MISSING   {label} — the file is not in storage"))
            return
        with storage.open(name, "rb") as fh:
            detected = detect(fh)
        current = PurePath(name).suffix.lower().lstrip(".")
        if detected is None:
            self.counts["unknown"] += 1
            self.stdout.write(
                self.style.ERROR(
                    f"UNKNOWN   {label} — unknown format (not an accepted image/document type); "
                    "not renamed: check it and delete or replace it in the admin"
                )
            )
            return
        if same_format(current, detected):
            self.counts["ok"] += 1
            if self.verbosity > 1:
                self.stdout.write(f"ok        {label}")
            return
        self.counts["mismatch"] += 1
        if not self.fix:
            self.stdout.write(
                self.style.WARNING(f"MISMATCH  {label} — content is {detected.upper()}, extension .{current}")
            )
            return
        new_name = self.rename(model, obj, storage, name, detected)
        self.counts["renamed"] += 1
        self.stdout.write(self.style.SUCCESS(f"RENAMED   {label} — content is {detected.upper()} → {new_name}"))

    def rename(self, model, obj, storage, name, ext):
        """Copy under the new name, point the row at it, then delete the old file (never the other way round)."""
        with storage.open(name, "rb") as fh:
            new_name = storage.save(str(PurePath(name).with_suffix(f".{ext}")), fh)
        try:
            model.objects.filter(pk=obj.pk).update(file=new_name)
        except Exception:
            storage.delete(new_name)
            raise
        storage.delete(name)
        return new_name
