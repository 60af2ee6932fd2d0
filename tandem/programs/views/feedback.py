"""(being written)"""

urlpatterns = []
family_urlpatterns = []
