app_name = "learning"
urlpatterns: list = [
    # Investigations (investigations/...), learning items (learning/...), the review queue
    # (review/) and search (search/).
]
