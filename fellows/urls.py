app_name = "fellows"
urlpatterns: list = [
    # Initiative pages: list, add, detail, edit, milestones, progress updates.
]
