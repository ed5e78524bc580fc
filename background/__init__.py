"""Background work without cron: `manage.py db_worker` (django-tasks-db's worker, made to survive
database outages and to leave no task RUNNING after a kill) and the schedule its workers keep.

Apps use two things from here: `background.schedule` to register periodic jobs, and
`background.database.wait_for_database` to ride out an outage inside a long task.
"""
