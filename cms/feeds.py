from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed


class AnnouncementFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, index):
        self.request = request
        return index

    def title(self, index) -> str:
        return index.title

    def link(self, index) -> str:
        return index.get_url(request=self.request)

    def subtitle(self, index) -> str:
        return index.intro

    def items(self, index):
        return index.announcements()[:30]

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_link(self, item) -> str:
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at
