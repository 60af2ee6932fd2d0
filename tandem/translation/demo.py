"""Approved translations of the demo district's sample messages, so the demo sends
every family its own language with no translation engine installed.

The demo builder calls `install_demo_translations(organization)`; composing any of
SAMPLE_MESSAGES then finds it in the translation memory, approved.
"""

from tandem.directory.models import Organization
from tandem.translation.services import remember

REPORT_CARDS = "Report cards go home on Friday."
CONFERENCES = "Parent-teacher conferences are next week; reply to choose a time."
READING_TIP = (
    "Reading tip to try at home: ask your child to tell you the story in their own words. "
    "You can talk about it in any language."
)
EARLY_DISMISSAL = "Reminder: Wednesday is an early dismissal day. School ends at 12:30 p.m."
FIELD_TRIP = "Please sign and return the field trip permission slip by Thursday."

SAMPLE_MESSAGES = [REPORT_CARDS, CONFERENCES, READING_TIP, EARLY_DISMISSAL, FIELD_TRIP]

# English original → language → approved translation.
APPROVED: dict[str, dict[str, str]] = {
    REPORT_CARDS: {
        "es": "Las boletas de calificaciones se envían a casa el viernes.",
        "vi": "Bảng điểm sẽ được gửi về nhà vào thứ Sáu.",
        "zh": "成绩单将于周五带回家。",
        "ar": "ستُرسَل كشوف الدرجات إلى المنازل يوم الجمعة.",
        "ht": "Y ap voye kanè yo lakay vandredi.",
        "so": "Warqadaha natiijada waxaa guriga loo diri doonaa maalinta Jimcaha.",
        "tl": "Ipapauwi ang mga report card sa Biyernes.",
    },
    CONFERENCES: {
        "es": (
            "Las conferencias de padres y maestros son la próxima semana; "
            "responda para elegir un horario."
        ),
        "vi": (
            "Buổi họp phụ huynh và giáo viên sẽ diễn ra vào tuần tới; "
            "vui lòng trả lời tin nhắn này để chọn thời gian."
        ),
        "zh": "家长会将于下周举行；请回复此消息选择时间。",
        "ar": "اجتماعات أولياء الأمور والمعلمين في الأسبوع القادم؛ يُرجى الرد لاختيار موعد.",
        "ht": (
            "Reyinyon paran ak pwofesè yo ap fèt semèn pwochèn; "
            "reponn mesaj sa a pou chwazi yon lè."
        ),
        "so": (
            "Kulamada waalidka iyo macallinka waxay dhici doonaan toddobaadka soo socda; "
            "fadlan ka jawaab si aad u doorato waqti."
        ),
        "tl": (
            "Ang mga pulong ng magulang at guro ay sa susunod na linggo; "
            "sumagot upang pumili ng oras."
        ),
    },
    READING_TIP: {
        "es": (
            "Consejo de lectura para probar en casa: pídale a su hijo que le cuente la "
            "historia con sus propias palabras. Pueden hablar de ella en cualquier idioma."
        ),
        "vi": (
            "Mẹo đọc sách để thử ở nhà: hãy nhờ con kể lại câu chuyện bằng lời của chính "
            "con. Quý vị có thể trò chuyện về câu chuyện bằng bất kỳ ngôn ngữ nào."
        ),
        "zh": (
            "在家可以试试的阅读小贴士：请孩子用自己的话给您讲讲这个故事。"
            "您可以用任何语言和孩子聊一聊。"
        ),
        "ar": (
            "نصيحة للقراءة في المنزل: اطلبوا من طفلكم أن يحكي لكم القصة بكلماته الخاصة. "
            "يمكنكم التحدث عنها بأي لغة."
        ),
        "ht": (
            "Konsèy lekti pou w eseye lakay: mande pitit ou a rakonte istwa a ak pwòp mo "
            "pa l. Nou ka pale sou li nan nenpòt lang."
        ),
        "so": (
            "Talo akhris oo aad guriga ku tijaabin karto: ka codso ilmahaaga inuu sheekada "
            "kuugu sheego ereyadiisa. Waxaad ka wada hadli kartaan luuqad kasta."
        ),
        "tl": (
            "Tip sa pagbabasa na masusubukan sa bahay: hilingin sa inyong anak na ikuwento "
            "muli ang istorya gamit ang sarili niyang mga salita. Maaari ninyo itong "
            "pag-usapan sa anumang wika."
        ),
    },
    EARLY_DISMISSAL: {
        "es": (
            "Recordatorio: el miércoles es día de salida temprano. "
            "Las clases terminan a las 12:30 p. m."
        ),
        "vi": "Nhắc nhở: thứ Tư là ngày tan học sớm. Giờ học kết thúc lúc 12:30 trưa.",
        "zh": "提醒：周三提早放学，学校于中午12:30放学。",
        "ar": "تذكير: يوم الأربعاء يوم انصراف مبكر. ينتهي اليوم الدراسي الساعة 12:30 ظهرًا.",
        "ht": "Rapèl: mèkredi se yon jou sòti bonè. Lekòl la ap fini a 12:30 pm.",
        "so": (
            "Xusuusin: Arbacada waa maalin fasax goor hore ah. "
            "Dugsigu wuxuu dhammaanayaa 12:30 duhurnimo."
        ),
        "tl": (
            "Paalala: ang Miyerkules ay araw ng maagang uwian. "
            "Matatapos ang klase nang 12:30 ng tanghali."
        ),
    },
    FIELD_TRIP: {
        "es": (
            "Por favor, firme y devuelva la hoja de permiso para la excursión escolar "
            "a más tardar el jueves."
        ),
        "vi": "Vui lòng ký và gửi lại giấy cho phép tham gia chuyến đi dã ngoại trước thứ Năm.",
        "zh": "请在周四之前签署并交回校外考察家长同意书。",
        "ar": "يُرجى توقيع استمارة الإذن بالرحلة المدرسية وإعادتها قبل يوم الخميس.",
        "ht": "Tanpri siyen epi remèt fòm pèmisyon pou sòti eskolè a anvan jedi.",
        "so": (
            "Fadlan saxiix oo soo celi warqadda oggolaanshaha socdaalka waxbarasho "
            "ka hor Khamiista."
        ),
        "tl": (
            "Pakipirmahan at ibalik ang liham ng pahintulot para sa lakbay-aral bago mag-Huwebes."
        ),
    },
}

DEMO_LANGUAGES = ("es", "vi", "zh-Hans", "zh-Hant", "ar", "ht", "so", "tl")

# Families choose Simplified or Traditional Chinese (zh-Hans, zh-Hant); the texts above
# are Simplified. The same sentences in Traditional characters:
TRADITIONAL_CHINESE = {
    "成绩单将于周五带回家。": "成績單將於週五帶回家。",
    "家长会将于下周举行；请回复此消息选择时间。": "家長會將於下週舉行；請回覆此訊息選擇時間。",
    (
        "在家可以试试的阅读小贴士：请孩子用自己的话给您讲讲这个故事。您可以用任何语言和孩子聊一聊。"
    ): (
        "在家可以試試的閱讀小貼士：請孩子用自己的話給您講講這個故事。您可以用任何語言和孩子聊一聊。"
    ),
    "提醒：周三提早放学，学校于中午12:30放学。": "提醒：週三提早放學，學校於中午12:30放學。",
    "请在周四之前签署并交回校外考察家长同意书。": "請在週四之前簽署並交回校外考察家長同意書。",
}


def install_demo_translations(organization: Organization, *, approved_by=None) -> int:
    """Store the approved translations of SAMPLE_MESSAGES for `organization`; safe to run
    again. Returns how many translations were stored."""
    stored = 0
    for original, translations in APPROVED.items():
        chinese = translations.get("zh")
        by_language = {
            **{lang: text for lang, text in translations.items() if lang != "zh"},
            **({"zh-Hans": chinese, "zh-Hant": TRADITIONAL_CHINESE[chinese]} if chinese else {}),
        }
        for language, approved in by_language.items():
            remember(
                organization=organization,
                source_language="en",
                target_language=language,
                source_text=original,
                approved_text=approved,
                approved_by=approved_by,
            )
            stored += 1
    return stored
