"""Multilingual UHRI tagger: themes and groups of persons (pure library: numpy, the USE encoder
and py3langid at run time; scikit-learn and scipy for training only).

tagger = ThemeTagger.load()                      # requests, offers, any text
ThemeTagger.load("recommendations")              # UPR recommendations
tagger.suggest("Establish a national preventive mechanism in line with OPCAT")
tagger.predict_codes("Создать национальное правозащитное учреждение")
tagger.tag("Garantizar la educación inclusiva de los niños con discapacidad")  # themes + groups
tagger.model_version  # stored with every machine suggestion
detect_language("设立国家人权机构")  # 'zh'

Training and evaluation: `matching.tagging.training` (`train`, `evaluate`).
"""

from matching.tagging.language import UN_LANGUAGES, UNLanguage, detect_language
from matching.tagging.model import (
    PROFILES,
    GroupSuggestion,
    Profile,
    Tags,
    ThemeSuggestion,
    ThemeTagger,
)

__all__ = [
    "PROFILES",
    "UN_LANGUAGES",
    "GroupSuggestion",
    "Profile",
    "Tags",
    "ThemeSuggestion",
    "ThemeTagger",
    "UNLanguage",
    "detect_language",
]
