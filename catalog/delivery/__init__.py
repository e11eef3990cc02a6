"""Digital files reach people only through here.

MEDIA_ROOT is never served by a static route: every request names a DigitalFile and a role
(original, display, thumbnail), and the one visibility rule decides (DigitalFile.objects.visible_to
for the item, DigitalFile.stored() for the role). The bytes then go out with the type sniffed at
ingest and headers that keep a file from ever acting as a page of this site (sending.py), sent
by Django itself or, in production, by the web server (ARKIV_FILE_SENDING).
"""
