from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = "Background work"

    def ready(self) -> None:
        from background import schedule
        from background.tasks import prune_task_results

        schedule.every(
            lambda: 24 * 3600, name="background.prune-task-results", task=prune_task_results
        )
