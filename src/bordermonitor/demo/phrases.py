"""What a testimony is made of: openings, endings and titles, each in the six narrative languages.

A :data:`Phrase` holds one sentence in every language of :data:`LANGUAGES`, English (the translation) first;
the generator fills in ``{n}``, ``{place}``, ``{country}``, ``{left}`` and ``{name}``. Also here: which
language a group tells its testimony in, by nationality. The sentences of what was done are in
:mod:`bordermonitor.demo.violence_phrases`, a bystander's in :mod:`bordermonitor.demo.witness_phrases`.

All of it is invented demo material: no sentence is anyone's story, and the only names are obvious
placeholders (:data:`PLACEHOLDER_NAMES`), so no real person appears.
"""

from __future__ import annotations

__all__ = [
    "CHAIN_CLOSING",
    "CLOSINGS",
    "LANGUAGES",
    "LANGUAGE_BY_NATIONALITY",
    "NAMED",
    "OPENINGS",
    "PLACEHOLDER_NAMES",
    "SETTING_CLOSINGS",
    "TITLES",
    "TITLE_DEFAULT",
    "Phrase",
]

LANGUAGES = ("en", "ar", "fa", "ps", "ur", "fr")
"""Narrative languages, in the column order of the phrase tables (English, the translation, first)."""

Phrase = tuple[str, str, str, str, str, str]  # en, ar, fa, ps, ur, fr

# Openings by setting: (templates with the group size {n}, templates without it). Slots: n, place, country.
OPENINGS: dict[str, tuple[tuple[Phrase, ...], tuple[Phrase, ...]]] = {
    "forest": (
        (
            (
                "We were {n} people walking through the forest near {place} when the police in {country} "
                "caught us.",
                "كنا {n} أشخاص نمشي في الغابة قرب {place} عندما أمسكت بنا شرطة {country}.",
                "ما {n} نفر بودیم و در جنگل نزدیک {place} راه می‌رفتیم که پلیس {country} ما را گرفت.",
                "موږ {n} کسان وو او د {place} سره نږدې په ځنګل کې روان وو چې د {country} پولیسو ونیولو.",
                "ہم {n} لوگ {place} کے قریب جنگل میں چل رہے تھے جب {country} کی پولیس نے ہمیں پکڑ لیا۔",
                "Nous étions {n} à marcher dans la forêt près de {place} quand la police en {country} nous "
                "a arrêtés.",
            ),
            (
                "We were a group of {n}, hiding in the fields near {place}, when a police car from "
                "{country} stopped.",
                "كنا مجموعة من {n} أشخاص نختبئ في الحقول قرب {place} عندما توقفت سيارة شرطة من {country}.",
                "گروهی {n} نفره بودیم و در مزرعه‌های نزدیک {place} پنهان شده بودیم که یک ماشین پلیس "
                "{country} ایستاد.",
                "موږ {n} کسیزه ډله وو او د {place} سره نږدې په پټیو کې پټ وو چې د {country} د پولیسو یو "
                "موټر ودرېد.",
                "ہم {n} لوگوں کا گروپ تھے اور {place} کے قریب کھیتوں میں چھپے تھے جب {country} کی پولیس کی "
                "گاڑی رکی۔",
                "Nous étions un groupe de {n}, cachés dans les champs près de {place}, quand une voiture de "
                "police "
                "s'est arrêtée en {country}.",
            ),
        ),
        (
            (
                "We crossed the border at night near {place}, but after a few hours the police in {country} "
                "found us.",
                "عبرنا الحدود ليلاً قرب {place}، لكن بعد بضع ساعات وجدتنا شرطة {country}.",
                "شب از مرز نزدیک {place} رد شدیم، اما بعد از چند ساعت پلیس {country} ما را پیدا کرد.",
                "موږ د شپې د {place} سره نږدې له پولې تېر شو، خو څو ساعته وروسته د {country} پولیسو موږ "
                "پیدا کړو.",
                "ہم نے رات کو {place} کے قریب سرحد پار کی، لیکن چند گھنٹوں بعد {country} کی پولیس نے ہمیں "
                "ڈھونڈ لیا۔",
                "Nous avons traversé la frontière de nuit près de {place}, mais quelques heures plus tard "
                "la police "
                "en {country} nous a trouvés.",
            ),
        ),
    ),
    "river": (
        (
            (
                "We were {n} people and we crossed the river near {place} in a small boat; soldiers and "
                "police in "
                "{country} were waiting for us.",
                "كنا {n} أشخاص وعبرنا النهر قرب {place} في قارب صغير، وكان الجنود والشرطة في {country} "
                "ينتظروننا.",
                "ما {n} نفر بودیم و با یک قایق کوچک از رودخانه نزدیک {place} گذشتیم؛ سربازان و پلیس "
                "{country} "
                "منتظر ما بودند.",
                "موږ {n} کسان وو او د {place} سره نږدې په یوه کوچنۍ کښتۍ کې له سیند تېر شو؛ د {country} "
                "سرتېري "
                "او پولیس زموږ په انتظار وو.",
                "ہم {n} لوگ تھے اور {place} کے قریب ایک چھوٹی کشتی میں دریا پار کیا؛ {country} کے فوجی اور "
                "پولیس "
                "ہمارا انتظار کر رہے تھے۔",
                "Nous étions {n} et nous avons traversé le fleuve près de {place} dans un petit bateau ; "
                "des soldats "
                "et des policiers en {country} nous attendaient.",
            ),
        ),
        (
            (
                "After we crossed the river near {place}, men in black without any insignia stopped us and "
                "put us "
                "in a van.",
                "بعد أن عبرنا النهر قرب {place}، أوقفنا رجال بملابس سوداء بلا أي شارة ووضعونا في شاحنة "
                "صغيرة.",
                "بعد از اینکه از رودخانه نزدیک {place} گذشتیم، مردانی با لباس سیاه و بدون هیچ نشانی ما را "
                "گرفتند "
                "و سوار یک ون کردند.",
                "کله چې د {place} سره نږدې له سیند تېر شو، تور پوښاک لرونکو سړیو چې هیڅ نښه یې نه درلوده "
                "ودرولو "
                "او په یوه موټر کې یې واچولو.",
                "جب ہم نے {place} کے قریب دریا پار کیا تو بغیر کسی نشان کے کالے کپڑوں والے آدمیوں نے ہمیں "
                "روکا "
                "اور ایک وین میں ڈال دیا۔",
                "Après avoir traversé le fleuve près de {place}, des hommes en noir sans aucun insigne nous "
                "ont "
                "arrêtés et fait monter dans une camionnette.",
            ),
        ),
    ),
    "sea": (
        (
            (
                "We were {n} people in a rubber boat near {place} when the coast guard of {country} stopped "
                "us.",
                "كنا {n} أشخاص في قارب مطاطي قرب {place} عندما أوقفنا خفر سواحل {country}.",
                "ما {n} نفر در یک قایق بادی نزدیک {place} بودیم که گارد ساحلی {country} ما را متوقف کرد.",
                "موږ {n} کسان د {place} سره نږدې په یوه بادي کښتۍ کې وو چې د {country} ساحلي ساتونکو ودرولو.",
                "ہم {n} لوگ {place} کے قریب ربڑ کی کشتی میں تھے جب {country} کے کوسٹ گارڈ نے ہمیں روک لیا۔",
                "Nous étions {n} dans un bateau pneumatique près de {place} quand les garde-côtes de "
                "{country} nous "
                "ont arrêtés.",
            ),
        ),
        (
            (
                "Our boat had almost reached {place} when a coast guard vessel came, took our engine and "
                "pulled us "
                "back towards the open sea.",
                "كاد قاربنا أن يصل إلى {place} عندما جاء زورق لخفر السواحل، فأخذوا المحرك وسحبونا نحو البحر "
                "المفتوح.",
                "قایق ما تقریباً به {place} رسیده بود که یک قایق گارد ساحلی آمد، موتور ما را برداشت و ما را "
                "به سمت "
                "دریای آزاد کشید.",
                "زموږ کښتۍ {place} ته نږدې رسېدلې وه چې د ساحلي ساتونکو یوه بېړۍ راغله، انجن یې واخیست او "
                "موږ یې "
                "د خلاص سمندر په لور کش کړو.",
                "ہماری کشتی تقریباً {place} پہنچ چکی تھی کہ کوسٹ گارڈ کی ایک کشتی آئی، ہمارا انجن لے لیا "
                "اور ہمیں "
                "کھلے سمندر کی طرف کھینچ دیا۔",
                "Notre bateau avait presque atteint {place} quand une vedette des garde-côtes est arrivée, "
                "a pris "
                "notre moteur et nous a tirés vers le large.",
            ),
        ),
    ),
    "city": (
        (
            (
                "We were {n} people on a train near {place} when the police in {country} made us get off.",
                "كنا {n} أشخاص في القطار قرب {place} عندما أنزلتنا شرطة {country}.",
                "ما {n} نفر در قطار نزدیک {place} بودیم که پلیس {country} ما را پیاده کرد.",
                "موږ {n} کسان د {place} سره نږدې په ریل ګاډي کې وو چې د {country} پولیسو کښته کړو.",
                "ہم {n} لوگ {place} کے قریب ٹرین میں تھے جب {country} کی پولیس نے ہمیں اتار لیا۔",
                "Nous étions {n} dans un train près de {place} quand la police en {country} nous a fait "
                "descendre.",
            ),
        ),
        (
            (
                "We walked along the mountain path above {place}, but the police in {country} were waiting "
                "at the "
                "end of it.",
                "مشينا على الطريق الجبلي فوق {place}، لكن شرطة {country} كانت تنتظر في نهايته.",
                "از راه کوهستانی بالای {place} رفتیم، اما پلیس {country} در انتهای آن منتظر بود.",
                "موږ د {place} پورته د غره په لاره روان شو، خو د {country} پولیس د هغې په پای کې ولاړ وو.",
                "ہم {place} کے اوپر پہاڑی راستے پر چلے، لیکن {country} کی پولیس اس کے آخر میں انتظار کر رہی "
                "تھی۔",
                "Nous avons pris le sentier de montagne au-dessus de {place}, mais la police en {country} "
                "nous "
                "attendait au bout.",
            ),
        ),
    ),
}

# A rare sentence naming a companion, with an obviously fictitious name (for the redaction tests). Slot: name.
NAMED: Phrase = (
    "My friend {name} could not walk after that, so we had to carry him.",
    "صديقي {name} لم يستطع المشي بعد ذلك، فاضطررنا إلى حمله.",
    "دوستم {name} بعد از آن نمی‌توانست راه برود و مجبور شدیم او را حمل کنیم.",
    "زما ملګری {name} له هغې وروسته نه شو تللی، نو مجبور شو چې پورته یې کړو.",
    "میرا دوست {name} اس کے بعد چل نہیں سکتا تھا، اس لیے ہمیں اسے اٹھانا پڑا۔",
    "Mon ami {name} ne pouvait plus marcher après ça, alors nous avons dû le porter.",
)
PLACEHOLDER_NAMES = ("Omar Example", "Karim Placeholder", "Yusuf Testname", "Reza Sample", "Bilal Fictive")

# Endings. Slot: left (the country where the group was left).
CLOSINGS: tuple[Phrase, ...] = (
    (
        "Then they drove us to the border and told us to walk back to {left}.",
        "ثم أخذونا إلى الحدود وقالوا لنا أن نمشي عائدين إلى {left}.",
        "بعد ما را تا مرز بردند و گفتند پیاده به {left} برگردیم.",
        "بیا یې پولې ته یوړو او ویې ویل چې پلي بېرته {left} ته ولاړ شو.",
        "پھر وہ ہمیں سرحد تک لے گئے اور کہا کہ پیدل واپس {left} چلے جاؤ۔",
        "Ensuite ils nous ont conduits à la frontière et nous ont dit de retourner à pied en {left}.",
    ),
    (
        "At the border an officer shouted: 'Go back to {left} and never come again.'",
        "عند الحدود صرخ أحد الضباط: «ارجعوا إلى {left} ولا تعودوا أبداً».",
        "سر مرز یک مأمور فریاد زد: «برگردید {left} و دیگر هرگز نیایید.»",
        "په پوله یوه مامور چیغه کړه: «بېرته {left} ته ولاړ شئ او بیا مه راځئ.»",
        "سرحد پر ایک اہلکار چلایا: 'واپس {left} جاؤ اور دوبارہ کبھی مت آنا۔'",
        "À la frontière, un policier a crié : « Retournez en {left} et ne revenez jamais. »",
    ),
)
CHAIN_CLOSING: Phrase = (
    "They handed us over to the police of the next country, and in the end we were left in {left}.",
    "سلّمونا إلى شرطة البلد التالي، وفي النهاية تُركنا في {left}.",
    "ما را به پلیس کشور بعدی تحویل دادند و آخرش در {left} رهایمان کردند.",
    "موږ یې د بل هېواد پولیسو ته وسپارلو، او په پای کې {left} کې پرېښودل شو.",
    "انہوں نے ہمیں اگلے ملک کی پولیس کے حوالے کیا، اور آخر میں ہمیں {left} میں چھوڑ دیا گیا۔",
    "Ils nous ont remis à la police du pays suivant, et à la fin on nous a laissés en {left}.",
)
SETTING_CLOSINGS: dict[str, Phrase] = {
    "sea": (
        "They left us drifting on a life raft until the coast guard of {left} picked us up.",
        "تركونا على طوف نجاة في عرض البحر حتى التقطنا خفر سواحل {left}.",
        "ما را روی یک قایق نجات در دریا رها کردند تا اینکه گارد ساحلی {left} ما را گرفت.",
        "موږ یې په یوه ژغورونکې کښتۍ کې په سمندر کې پرېښودو تر هغه چې د {left} ساحلي ساتونکو راټول کړو.",
        "انہوں نے ہمیں سمندر میں ایک لائف رافٹ پر چھوڑ دیا یہاں تک کہ {left} کے کوسٹ گارڈ نے ہمیں اٹھا لیا۔",
        "Ils nous ont laissés dériver sur un radeau de survie jusqu'à ce que les garde-côtes de {left} nous "
        "récupèrent.",
    ),
    "river": (
        "They took us back across the river in a boat and left us on the {left} side.",
        "أعادونا عبر النهر بقارب وتركونا على الضفة الأخرى في {left}.",
        "ما را با قایق به آن طرف رودخانه برگرداندند و در سمت {left} رها کردند.",
        "په کښتۍ کې یې بېرته د سیند هاخوا یوړو او د {left} په غاړه یې پرېښودو.",
        "وہ ہمیں کشتی میں دریا کے پار واپس لے گئے اور {left} کی طرف چھوڑ دیا۔",
        "Ils nous ont fait retraverser le fleuve en bateau et nous ont laissés du côté de la {left}.",
    ),
}

# Titles: invented quotes, by violence code.
TITLES: dict[str, tuple[str, ...]] = {
    "beating": (
        "They beat us one by one as we came out of the van",
        "He hit my friend until he was bleeding",
        "Every time we asked a question they hit us",
    ),
    "kicking": ("They kicked us while we were lying on the ground",),
    "pushing_to_ground": ("Face down in the mud for hours",),
    "electric_shock": ("He used an electric stick on us",),
    "chemical_irritant": ("They sprayed something in our eyes and we could not see",),
    "water_abuse": ("They made us walk into the cold river",),
    "dog_attack": ("They let the dog bite us", "The dog was on my leg and they were laughing"),
    "firearm_discharge": ("They fired shots next to our heads",),
    "restraint": ("Hands tied with plastic for the whole night",),
    "threat_with_weapon": ("He put the gun to my head",),
    "verbal_abuse": ("They insulted our religion and laughed",),
    "forced_undressing": ("They made us take off our clothes in the cold",),
    "exposure": ("We slept in the cold without jackets",),
    "humiliation": ("They filmed us and laughed",),
    "sexual_violence": ("What they did during the search I cannot say",),
    "dangerous_transport": ("They drove like crazy and we could not breathe",),
    "theft_of_belongings": (
        "They took our phones and our money",
        "What kind of humanity takes our phones and money?",
    ),
    "destruction_of_belongings": (
        "They took our phones and burned our bags",
        "They burned everything we had",
    ),
    "document_confiscation": ("They tore up my papers in front of me",),
    "arbitrary_detention": ("A night in a container without knowing why",),
    "denial_of_necessities": ("We asked for water and they gave us nothing",),
    "denial_of_asylum": ("We said asylum, they said go back", "I asked for asylum and they laughed"),
    "collective_expulsion": ("Nobody asked our names",),
    "enforced_disappearance": ("We have not heard from him since that night",),
    "death": ("He did not survive the crossing",),
    "no_violence": ("They did not hit us, but they sent us back",),
}
TITLE_DEFAULT = ("They sent us back without a word",)

# Narrative language by the first nationality of the group; the rest speak English in the interview.
LANGUAGE_BY_NATIONALITY: dict[str, tuple[tuple[str, int], ...]] = {
    "AF": (("fa", 55), ("ps", 35), ("en", 10)),
    "IR": (("fa", 90), ("en", 10)),
    "PK": (("ur", 80), ("en", 20)),
    **{c: (("ar", 85), ("en", 15)) for c in ("SY", "IQ", "EG", "PS", "YE", "SD")},
    **{c: (("ar", 65), ("fr", 25), ("en", 10)) for c in ("MA", "DZ", "TN")},
    **{c: (("fr", 85), ("en", 15)) for c in ("CI", "GN", "ML", "CM", "CD", "BI", "SN")},
}
