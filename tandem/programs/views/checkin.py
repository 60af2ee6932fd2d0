"""(being written)"""

family_urlpatterns = []
