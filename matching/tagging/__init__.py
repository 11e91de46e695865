"""Multilingual UHRI theme tagger (pure library: numpy, the USE encoder and py3langid only).

tagger = ThemeTagger.load()
tagger.suggest("Establish a national preventive mechanism in line with OPCAT")
tagger.predict_codes("Создать национальное правозащитное учреждение")
detect_language("设立国家人权机构")  # 'zh'
"""

from matching.tagging.language import UN_LANGUAGES, UNLanguage, detect_language
from matching.tagging.model import ThemeSuggestion, ThemeTagger

__all__ = ["UN_LANGUAGES", "ThemeSuggestion", "ThemeTagger", "UNLanguage", "detect_language"]
