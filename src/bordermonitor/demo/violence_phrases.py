"""What was done, told in the first person in the six narrative languages: sentences by violence code.

Each entry is a tuple of :data:`~bordermonitor.demo.phrases.Phrase` (one sentence per language of
:data:`~bordermonitor.demo.phrases.LANGUAGES`, English first), several phrasings for the common codes. A
testimony tells at most two of them, the most severe first. Invented demo material: no sentence is anyone's
story, and no real person appears.
"""

from __future__ import annotations

from bordermonitor.demo.phrases import Phrase

__all__ = ["VIOLENCE_SENTENCES"]

# What happened, by violence code; several phrasings for the common ones. No slots.
VIOLENCE_SENTENCES: dict[str, tuple[Phrase, ...]] = {
    "beating": (
        (
            "They beat us with batons, one by one, as we got out of the van.",
            "ضربونا بالهراوات واحداً تلو الآخر ونحن ننزل من الشاحنة.",
            "وقتی از ون پیاده می‌شدیم، یکی‌یکی ما را با باتوم زدند.",
            "کله چې له موټر څخه کښته کېدو، یو یو یې په ډنډو وهلو.",
            "جب ہم وین سے اتر رہے تھے تو انہوں نے ایک ایک کر کے ہمیں ڈنڈوں سے مارا۔",
            "Ils nous ont frappés à coups de matraque, un par un, à la sortie du fourgon.",
        ),
        (
            "An officer hit my friend on the head until he was bleeding.",
            "ضرب أحد الضباط صديقي على رأسه حتى سال منه الدم.",
            "یکی از مأموران آن‌قدر به سر دوستم زد که خونریزی کرد.",
            "یوه مامور زما ملګری په سر دومره ووهلو چې وینه ترې روانه شوه.",
            "ایک اہلکار نے میرے دوست کے سر پر اتنا مارا کہ اس کا خون بہنے لگا۔",
            "Un policier a frappé mon ami à la tête jusqu'à ce qu'il saigne.",
        ),
    ),
    "kicking": (
        (
            "When we were on the ground they kicked us in the back and in the stomach.",
            "عندما كنا على الأرض ركلونا في ظهورنا وبطوننا.",
            "وقتی روی زمین بودیم به کمر و شکممان لگد زدند.",
            "کله چې موږ پر ځمکه پراته وو، زموږ په شا او ګېډه یې لغتې ووهلې.",
            "جب ہم زمین پر تھے تو انہوں نے ہماری کمر اور پیٹ پر لاتیں ماریں۔",
            "Quand nous étions à terre, ils nous ont donné des coups de pied dans le dos et le ventre.",
        ),
    ),
    "pushing_to_ground": (
        (
            "They pushed us to the ground and made us lie face down in the mud.",
            "دفعونا إلى الأرض وأجبرونا على الاستلقاء على وجوهنا في الوحل.",
            "ما را روی زمین هل دادند و مجبورمان کردند با صورت در گِل دراز بکشیم.",
            "موږ یې پر ځمکه وغورځولو او مجبور یې کړو چې په خټو کې پر مخ پرېوځو.",
            "انہوں نے ہمیں زمین پر دھکا دیا اور کیچڑ میں منہ کے بل لیٹنے پر مجبور کیا۔",
            "Ils nous ont poussés par terre et obligés à rester allongés face contre la boue.",
        ),
    ),
    "electric_shock": (
        (
            "One of them used an electric stick on the men who tried to speak.",
            "استخدم أحدهم عصا كهربائية على الرجال الذين حاولوا الكلام.",
            "یکی از آنها با باتوم برقی به مردانی که می‌خواستند حرف بزنند شوک داد.",
            "یوه یې پر هغو سړیو برېښنايي لکړه وکاروله چې غوښتل خبرې وکړي.",
            "ان میں سے ایک نے بولنے کی کوشش کرنے والے مردوں پر بجلی والا ڈنڈا استعمال کیا۔",
            "L'un d'eux a utilisé une matraque électrique sur les hommes qui essayaient de parler.",
        ),
    ),
    "chemical_irritant": (
        (
            "They sprayed pepper spray in our eyes and we could not see anything.",
            "رشّوا رذاذ الفلفل في عيوننا فلم نعد نرى شيئاً.",
            "اسپری فلفل به چشم‌هایمان زدند و دیگر هیچ چیز نمی‌دیدیم.",
            "زموږ په سترګو کې یې د مرچو سپرې ووهله او هیڅ مو نه لیدل.",
            "انہوں نے ہماری آنکھوں میں مرچوں کا اسپرے کیا اور ہمیں کچھ دکھائی نہیں دیا۔",
            "Ils nous ont aspergé les yeux de gaz poivre et nous ne voyions plus rien.",
        ),
    ),
    "water_abuse": (
        (
            "They forced us to walk into the cold river up to our chest.",
            "أجبرونا على المشي في النهر البارد حتى صدورنا.",
            "مجبورمان کردند تا سینه در رودخانهٔ سرد راه برویم.",
            "مجبور یې کړو چې تر سینې پورې په سړو اوبو کې ننوځو.",
            "انہوں نے ہمیں ٹھنڈے دریا میں سینے تک چلنے پر مجبور کیا۔",
            "Ils nous ont forcés à entrer dans la rivière froide jusqu'à la poitrine.",
        ),
    ),
    "dog_attack": (
        (
            "They let a dog loose on us and it bit my friend on the leg.",
            "أطلقوا علينا كلباً فعضّ صديقي في ساقه.",
            "سگی را به طرف ما ول کردند و پای دوستم را گاز گرفت.",
            "یو سپی یې پر موږ خوشې کړ او زما د ملګري پښه یې وچیچله.",
            "انہوں نے ہم پر کتا چھوڑ دیا اور اس نے میرے دوست کی ٹانگ پر کاٹ لیا۔",
            "Ils ont lâché un chien sur nous et il a mordu mon ami à la jambe.",
        ),
    ),
    "firearm_discharge": (
        (
            "They fired shots into the air and one bullet hit the ground next to us.",
            "أطلقوا النار في الهواء وأصابت رصاصة الأرض بجانبنا.",
            "به هوا شلیک کردند و یک گلوله کنار ما به زمین خورد.",
            "هوا ته یې ډزې وکړې او یوه ګولۍ زموږ څنګ ته ځمکې ولګېده.",
            "انہوں نے ہوا میں گولیاں چلائیں اور ایک گولی ہمارے پاس زمین پر لگی۔",
            "Ils ont tiré en l'air et une balle a touché le sol à côté de nous.",
        ),
    ),
    "restraint": (
        (
            "They tied our hands with plastic straps and kept us kneeling for hours.",
            "ربطوا أيدينا بأشرطة بلاستيكية وأبقونا راكعين لساعات.",
            "دست‌هایمان را با بست پلاستیکی بستند و ساعت‌ها ما را زانو زده نگه داشتند.",
            "لاسونه یې په پلاستيکي تسمو وتړل او څو ساعته یې په زنګنونو کېنولو.",
            "انہوں نے ہمارے ہاتھ پلاسٹک کی پٹیوں سے باندھے اور گھنٹوں گھٹنوں کے بل رکھا۔",
            "Ils nous ont attaché les mains avec des colliers en plastique et nous ont laissés à genoux "
            "pendant "
            "des heures.",
        ),
    ),
    "threat_with_weapon": (
        (
            "An officer pointed his gun at my head and said he would shoot if we came back.",
            "صوّب أحد الضباط مسدسه نحو رأسي وقال إنه سيطلق النار إذا عدنا.",
            "یک مأمور اسلحه‌اش را به سرم گرفت و گفت اگر برگردیم شلیک می‌کند.",
            "یوه مامور خپله وسله زما سر ته ونیوله او ویې ویل چې که بېرته راشو ډز به وکړي.",
            "ایک اہلکار نے میرے سر پر بندوق تانی اور کہا کہ اگر ہم واپس آئے تو گولی مار دے گا۔",
            "Un policier a pointé son arme sur ma tête et a dit qu'il tirerait si nous revenions.",
        ),
    ),
    "verbal_abuse": (
        (
            "They laughed at us and insulted our religion the whole time.",
            "كانوا يضحكون علينا ويشتمون ديننا طوال الوقت.",
            "تمام مدت به ما می‌خندیدند و به دینمان توهین می‌کردند.",
            "ټول وخت یې پر موږ خندل او زموږ دین ته یې سپکاوی کاوه.",
            "وہ پورا وقت ہم پر ہنستے رہے اور ہمارے مذہب کی توہین کرتے رہے۔",
            "Ils se moquaient de nous et insultaient notre religion tout le temps.",
        ),
    ),
    "forced_undressing": (
        (
            "They made us take off our clothes and shoes and stand in the cold.",
            "أجبرونا على خلع ملابسنا وأحذيتنا والوقوف في البرد.",
            "مجبورمان کردند لباس‌ها و کفش‌هایمان را دربیاوریم و در سرما بایستیم.",
            "مجبور یې کړو چې جامې او بوټان وباسو او په یخنۍ کې ودرېږو.",
            "انہوں نے ہمیں کپڑے اور جوتے اتارنے اور سردی میں کھڑے رہنے پر مجبور کیا۔",
            "Ils nous ont obligés à enlever nos vêtements et nos chaussures et à rester debout dans le "
            "froid.",
        ),
    ),
    "exposure": (
        (
            "We spent the night outside in the cold without jackets, and they did not let us make a fire.",
            "قضينا الليل في العراء في البرد بلا سترات، ولم يسمحوا لنا بإشعال نار.",
            "شب را بدون کاپشن در سرمای بیرون گذراندیم و نگذاشتند آتش روشن کنیم.",
            "شپه مو بې جاکټه په یخنۍ کې بهر تېره کړه او اجازه یې رانکړه چې اور بل کړو.",
            "ہم نے رات بغیر جیکٹوں کے باہر سردی میں گزاری اور انہوں نے ہمیں آگ جلانے نہیں دی۔",
            "Nous avons passé la nuit dehors dans le froid sans veste, et ils ne nous ont pas laissés faire "
            "de feu.",
        ),
    ),
    "humiliation": (
        (
            "They filmed us with their phones and laughed while we were kneeling.",
            "صوّرونا بهواتفهم وكانوا يضحكون ونحن راكعون.",
            "با گوشی‌هایشان از ما فیلم گرفتند و وقتی زانو زده بودیم می‌خندیدند.",
            "په خپلو ټلیفونونو یې زموږ ویډیو اخیسته او کله چې پر زنګنونو وو، خندل یې.",
            "انہوں نے اپنے فونوں سے ہماری ویڈیو بنائی اور جب ہم گھٹنوں کے بل تھے تو ہنستے رہے۔",
            "Ils nous ont filmés avec leurs téléphones et riaient pendant que nous étions à genoux.",
        ),
    ),
    "sexual_violence": (
        (
            "During the search an officer touched us in a way I cannot describe.",
            "أثناء التفتيش لمسنا أحد الضباط بطريقة لا أستطيع وصفها.",
            "هنگام بازرسی یک مأمور ما را به شکلی لمس کرد که نمی‌توانم توصیفش کنم.",
            "د تلاشۍ پر مهال یوه مامور موږ داسې لمس کړو چې نه شم بیانولی.",
            "تلاشی کے دوران ایک اہلکار نے ہمیں اس طرح چھوا جسے میں بیان نہیں کر سکتا۔",
            "Pendant la fouille, un policier nous a touchés d'une manière que je ne peux pas décrire.",
        ),
    ),
    "dangerous_transport": (
        (
            "They locked us in a van with no air and drove very fast for hours; people were vomiting.",
            "حبسونا في شاحنة بلا هواء وقادوا بسرعة كبيرة لساعات، وكان الناس يتقيؤون.",
            "ما را در یک ون بدون هوا حبس کردند و ساعت‌ها خیلی تند رانندگی کردند؛ مردم بالا می‌آوردند.",
            "په یوه بې هوا موټر کې یې بند کړو او څو ساعته یې ډېر په چټکۍ وچلاوه؛ خلکو کانګې کولې.",
            "انہوں نے ہمیں بغیر ہوا والی وین میں بند کیا اور گھنٹوں بہت تیز چلاتے رہے؛ لوگ الٹیاں کر رہے "
            "تھے۔",
            "Ils nous ont enfermés dans un fourgon sans air et ont roulé très vite pendant des heures ; des "
            "gens "
            "vomissaient.",
        ),
    ),
    "theft_of_belongings": (
        (
            "They took our phones and our money and never gave them back.",
            "أخذوا هواتفنا ونقودنا ولم يعيدوها أبداً.",
            "گوشی‌ها و پول‌هایمان را گرفتند و هیچ‌وقت پس ندادند.",
            "زموږ ټلیفونونه او پیسې یې واخیستې او بېرته یې رانکړې.",
            "انہوں نے ہمارے فون اور پیسے لے لیے اور کبھی واپس نہیں کیے۔",
            "Ils ont pris nos téléphones et notre argent et ne nous les ont jamais rendus.",
        ),
        (
            "Before letting us go they searched our pockets and kept the money we had.",
            "قبل أن يطلقوا سراحنا فتشوا جيوبنا واحتفظوا بالمال الذي كان معنا.",
            "قبل از اینکه رهایمان کنند جیب‌هایمان را گشتند و پولی را که داشتیم برداشتند.",
            "مخکې له دې چې خوشې مو کړي، جېبونه یې ولټول او هغه پیسې یې وساتلې چې راسره وې.",
            "ہمیں چھوڑنے سے پہلے انہوں نے ہماری جیبوں کی تلاشی لی اور جو پیسے تھے رکھ لیے۔",
            "Avant de nous relâcher, ils ont fouillé nos poches et gardé l'argent que nous avions.",
        ),
    ),
    "destruction_of_belongings": (
        (
            "They burned our bags and sleeping bags in front of us and broke our phones.",
            "أحرقوا حقائبنا وأكياس نومنا أمامنا وكسروا هواتفنا.",
            "کیف‌ها و کیسه‌خواب‌هایمان را جلوی چشممان سوزاندند و گوشی‌هایمان را شکستند.",
            "زموږ بکسونه او د خوب کڅوړې یې زموږ مخې ته وسوځولې او ټلیفونونه یې مات کړل.",
            "انہوں نے ہمارے سامنے ہمارے بیگ اور سلیپنگ بیگ جلا دیے اور ہمارے فون توڑ دیے۔",
            "Ils ont brûlé nos sacs et nos sacs de couchage devant nous et cassé nos téléphones.",
        ),
    ),
    "document_confiscation": (
        (
            "They tore up the paper from the camp and the copy of my passport.",
            "مزّقوا ورقة المخيم ونسخة جواز سفري.",
            "برگهٔ کمپ و کپی پاسپورتم را پاره کردند.",
            "د کمپ کاغذ او زما د پاسپورټ کاپي یې وشلوله.",
            "انہوں نے کیمپ کا کاغذ اور میرے پاسپورٹ کی کاپی پھاڑ دی۔",
            "Ils ont déchiré le papier du camp et la copie de mon passeport.",
        ),
    ),
    "arbitrary_detention": (
        (
            "They kept us in a container for the whole night without telling us why.",
            "احتجزونا في حاوية طوال الليل دون أن يقولوا لنا السبب.",
            "تمام شب ما را در یک کانتینر نگه داشتند و نگفتند چرا.",
            "ټوله شپه یې په یوه کانټینر کې وساتلو او ونه یې ویل ولې.",
            "انہوں نے ہمیں پوری رات ایک کنٹینر میں رکھا اور وجہ نہیں بتائی۔",
            "Ils nous ont gardés toute la nuit dans un conteneur sans nous dire pourquoi.",
        ),
    ),
    "denial_of_necessities": (
        (
            "We asked for water and a doctor, but they gave us nothing.",
            "طلبنا ماءً وطبيباً، لكنهم لم يعطونا شيئاً.",
            "آب و دکتر خواستیم، اما هیچ چیزی به ما ندادند.",
            "موږ اوبه او ډاکټر وغوښت، خو هیڅ یې رانکړل.",
            "ہم نے پانی اور ڈاکٹر مانگا، لیکن انہوں نے ہمیں کچھ نہیں دیا۔",
            "Nous avons demandé de l'eau et un médecin, mais ils ne nous ont rien donné.",
        ),
    ),
    "denial_of_asylum": (
        (
            "We said 'asylum' many times, but they only laughed.",
            "قلنا «لجوء» مرات كثيرة، لكنهم ضحكوا فقط.",
            "بارها گفتیم «پناهندگی»، اما آنها فقط خندیدند.",
            "موږ څو ځله وویل «پناه غوښتنه»، خو هغوی یوازې وخندل.",
            "ہم نے کئی بار 'پناہ' کہا، لیکن وہ صرف ہنستے رہے۔",
            "Nous avons dit « asile » plusieurs fois, mais ils ont seulement ri.",
        ),
    ),
    "collective_expulsion": (
        (
            "Nobody asked our names; they sent the whole group back together.",
            "لم يسأل أحد عن أسمائنا؛ أعادوا المجموعة كلها معاً.",
            "هیچ‌کس اسممان را نپرسید؛ کل گروه را با هم برگرداندند.",
            "هیچا زموږ نومونه ونه پوښتل؛ ټوله ډله یې یوځای بېرته ولېږله.",
            "کسی نے ہمارے نام نہیں پوچھے؛ انہوں نے پورے گروپ کو ایک ساتھ واپس بھیج دیا۔",
            "Personne ne nous a demandé nos noms ; ils ont renvoyé tout le groupe ensemble.",
        ),
    ),
    "enforced_disappearance": (
        (
            "One of our friends was taken into another car, and we have not heard from him since.",
            "أُخذ أحد أصدقائنا في سيارة أخرى، ولم نسمع عنه شيئاً منذ ذلك الحين.",
            "یکی از دوستانمان را سوار ماشین دیگری کردند و از آن موقع هیچ خبری از او نداریم.",
            "زموږ یو ملګری یې بل موټر ته واچاوه، او له هغه وخته راهیسې مو ترې هیڅ خبر نه دی.",
            "ہمارے ایک دوست کو دوسری گاڑی میں لے گئے، اور تب سے ہمیں اس کی کوئی خبر نہیں ملی۔",
            "Un de nos amis a été emmené dans une autre voiture, et depuis nous n'avons aucune nouvelle de "
            "lui.",
        ),
    ),
    "death": (
        (
            "One man from our group did not survive; we could not help him.",
            "رجل من مجموعتنا لم ينجُ؛ لم نستطع مساعدته.",
            "یکی از مردان گروهمان زنده نماند؛ نتوانستیم کمکش کنیم.",
            "زموږ د ډلې یو سړی ژوندی پاتې نه شو؛ مرسته مو ورسره ونه شوه کولی.",
            "ہمارے گروپ کا ایک آدمی زندہ نہیں بچا؛ ہم اس کی مدد نہ کر سکے۔",
            "Un homme de notre groupe n'a pas survécu ; nous n'avons pas pu l'aider.",
        ),
    ),
    "no_violence": (
        (
            "They did not hit us, but they would not listen to anything we said.",
            "لم يضربونا، لكنهم لم يستمعوا إلى أي شيء قلناه.",
            "ما را نزدند، اما به هیچ حرفی که زدیم گوش ندادند.",
            "ونه یې وهلو، خو زموږ هیڅ خبرې ته یې غوږ ونه نیو.",
            "انہوں نے ہمیں مارا نہیں، لیکن ہماری کوئی بات نہیں سنی۔",
            "Ils ne nous ont pas frappés, mais ils n'ont rien voulu entendre de ce que nous disions.",
        ),
    ),
}
