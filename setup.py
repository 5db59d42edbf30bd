"""Only what pyproject.toml cannot say: the project's resources/ folder travels inside the wheel.

The fonts and styles live at the project root (resources/), outside the
package, so package-data cannot reach them; the wheel gets a copy as
app/resources, where app/resource_files.py looks for them.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithResources(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return   # an editable install reads resources/ from the checkout itself
        source = Path(__file__).resolve().parent / "resources"
        shutil.copytree(source, Path(self.build_lib) / "app" / "resources", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithResources})
