"""The form families shipped with selfeval, one TOML file each (see README, "Adding a form
family"). Installed as the ``extract.layouts`` package so that layouts travel with it."""
