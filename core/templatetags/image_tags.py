"""Wagtail's {% image %}, {% srcset_image %} and {% picture %}, with the same syntax and output, doing less
per call: `{% load image_tags %}` instead of `wagtailimages_tags`.

- Wagtail's nodes build new `Filter` objects on every render, and a new Filter parses its spec again and
  binds each operation's arguments with `inspect` (`Filter.operations`): in a list of ten news cards that
  was a fifth of the cards' time (bench/README.md, «bench/peer.py»). A node here builds its filters once,
  when first rendered (a template is parsed once per process), and reuses them: a Filter is immutable once
  its operations are known, so threads may share it.
- Wagtail's {% image %} goes through `Image.get_rendition()`, which writes the rendition to the cache
  (Redis here) on every call, even when it was prefetched with the image. Here it goes through
  `get_renditions()`, which writes only what it did not find prefetched or in the cache: a page that
  prefetches its images' renditions (news.models.NewsPage) shows them without a round trip.
"""

from django import template
from wagtail.images.models import Filter, SourceImageIOError
from wagtail.images.templatetags import wagtailimages_tags as wagtail

register = template.Library()


class ImageNode(wagtail.ImageNode):
    _filter = None

    def get_filter(self):
        if self._filter is None:
            built = Filter(spec="|".join(self.filter_specs))
            built.operations  # noqa: B018 — parse it now, once
            self._filter = built
        return self._filter

    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        rendition = one_rendition(image, self.get_filter())
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        return rendition.img_tag({key: value.resolve(context) for key, value in self.attrs.items()})


def one_rendition(image, filter):
    """wagtail.images.shortcuts.get_rendition_or_not_found through get_renditions(): no cache write for
    a rendition prefetched with the image."""
    try:
        # one value, keyed by the spec as cleaned (an SVG's rasterising operations are dropped)
        return next(iter(image.get_renditions(filter).values()))
    except SourceImageIOError:  # the original file is missing: a broken image rather than an error page
        rendition = image.renditions.model(image=image, width=0, height=0)
        rendition.file.name = "not-found"
        return rendition


class SrcsetImageNode(wagtail.SrcsetImageNode):
    _filters = None

    def get_filters(self):
        if self._filters is None:
            built = super().get_filters()
            for each in built:
                each.operations  # noqa: B018
            self._filters = built
        return self._filters


class PictureNode(SrcsetImageNode, wagtail.PictureNode):
    pass


NODES = {wagtail.ImageNode: ImageNode, wagtail.SrcsetImageNode: SrcsetImageNode, wagtail.PictureNode: PictureNode}


def image(parser, token):
    """Wagtail's parser (the same arguments and errors), returning a node that keeps its filters."""
    node = wagtail.image(parser, token)
    return NODES[type(node)](node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs)


register.tag("image", image)
register.tag("srcset_image", image)
register.tag("picture", image)
