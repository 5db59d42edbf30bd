"""Only what pyproject.toml cannot say: the project's resources/ folder and the user guide travel inside the wheel.

The fonts and styles live at the project root (resources/), the guide in
docs/guide, outside the package, so package-data cannot reach them; the wheel
gets copies as app/resources and app/resources/guide, where
app/resource_files.py looks for them (resource_path, guide_path).
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
        project = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "app" / "resources"
        shutil.copytree(project / "resources", target, dirs_exist_ok=True)
        guide = project / "docs" / "guide"
        if guide.is_dir():      # the F1 help links to the guide's pages and shows their pictures
            shutil.copytree(guide, target / "guide", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithResources})
