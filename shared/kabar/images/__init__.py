"""Editors' photos: what a file really holds (:mod:`kabar.images.formats`, no imaging library) and
the checked, stripped variants made from it (:mod:`kabar.images.variants`, Pillow: imported only
by the code that makes them)."""
