"""The language communities of the demo district: how many families, and plausible names.

Small built-in lists, written the way US school rosters usually spell them. The weights
give a realistic mix for a US district: English about 55 %, Spanish about 25 %.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Community:
    key: str
    language: str  # BCP 47, as a family would give it; normalized before use
    weight: float  # share of households, in percent
    # Where the community's families live: shares of the three elementary attendance
    # zones, so schools differ the way real ones do.
    zone_weights: tuple[float, float, float]
    women: tuple[str, ...]
    men: tuple[str, ...]
    children: tuple[str, ...]
    family_names: tuple[str, ...]
    # Self-described background most often given (directory.demographics keys).
    race_ethnicity: tuple[tuple[str, ...], ...]


def _names(text: str) -> tuple[str, ...]:
    """Names written as one comma-separated string, which keeps the lists compact."""
    return tuple(name.strip() for name in text.split(","))


COMMUNITIES: tuple[Community, ...] = (
    Community(
        key="english",
        language="en",
        weight=55,
        zone_weights=(0.4, 0.35, 0.25),
        women=_names(
            "Jennifer, Ashley, Jessica, Sarah, Amanda, Brittany, Megan, Tiffany, Keisha, "
            "Emily, Heather, Rachel, Danielle, Crystal, Nicole, Kimberly, Stephanie, Lauren, "
            "Amber, Shanice, Tamika, Rebecca, Laura, Misty"
        ),
        men=_names(
            "Michael, James, David, Christopher, Joshua, Matthew, Daniel, Brandon, Tyrone, "
            "Marcus, Jamal, Ryan, Justin, Andrew, Robert, Anthony, Kevin, Jason, Eric, "
            "Travis, Darnell, Cody, Steven, William"
        ),
        children=_names(
            "Liam, Noah, Oliver, Elijah, Aiden, Jackson, Olivia, Emma, Ava, Harper, Amelia, "
            "Zoe, Jaylen, Aaliyah, Jordan, Madison, Carter, Isaiah, Chloe, Grace, Mason, "
            "Lily, Caleb, Nevaeh, Wyatt, Layla"
        ),
        family_names=_names(
            "Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, "
            "Thomas, Taylor, Moore, Jackson, Martin, Lee, Thompson, White, Harris, Clark, "
            "Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Green, Baker, "
            "Adams, Nelson, Hill, Campbell, Mitchell, Carter, Phillips, Evans, Turner, "
            "Parker, Collins, Edwards, Stewart, Morris, Murphy, Cook, Rogers, Washington, "
            "Banks, Olson, Larson, Kowalski, Novak, Schmidt, Garcia, Lopez, Horsechief, "
            "Begay"
        ),
        race_ethnicity=(
            ("white",),
            ("white",),
            ("black_african_american",),
            ("black_african_american",),
            ("hispanic_latino",),
            ("asian",),
            ("american_indian_alaska_native",),
            ("black_african_american", "white"),
            ("hispanic_latino", "white"),
        ),
    ),
    Community(
        key="spanish",
        language="es",
        weight=25,
        zone_weights=(0.5, 0.3, 0.2),
        women=_names(
            "María, Guadalupe, Rosa, Ana, Carmen, Verónica, Leticia, Alejandra, Sofía, "
            "Gabriela, Patricia, Elena, Yesenia, Marisol, Claudia, Adriana, Lucía, Araceli, "
            "Maribel, Silvia"
        ),
        men=_names(
            "José, Juan, Luis, Carlos, Jorge, Miguel, Francisco, Jesús, Alejandro, Ricardo, "
            "Javier, Manuel, Fernando, Héctor, Rafael, Mario, Roberto, Óscar, Arturo, "
            "Efraín"
        ),
        children=_names(
            "Sofía, Valentina, Camila, Isabella, Ximena, Mía, Emily, Ashley, Daniela, Mateo, "
            "Santiago, Diego, Sebastián, Emiliano, Jayden, Kevin, Bryan, Ángel, Adrián, "
            "Leonardo, Naomi, Génesis, Alexa, Christopher"
        ),
        family_names=_names(
            "García, Hernández, Martínez, López, González, Rodríguez, Pérez, Sánchez, "
            "Ramírez, Torres, Flores, Rivera, Gómez, Díaz, Reyes, Morales, Cruz, Ortiz, "
            "Gutiérrez, Chávez, Ramos, Mendoza, Ruiz, Álvarez, Castillo, Jiménez, Vásquez, "
            "Romero, Herrera, Medina, Aguilar, Vargas, Castro, Guzmán, Salazar"
        ),
        race_ethnicity=(("hispanic_latino",), ("hispanic_latino",), ("hispanic_latino", "white")),
    ),
    Community(
        key="vietnamese",
        language="vi",
        weight=4,
        zone_weights=(0.2, 0.6, 0.2),
        women=_names("Lan, Hoa, Mai, Linh, Thu, Hương, Ngọc, Trang, Hạnh, Phương, Thảo, Yến"),
        men=_names("Minh, Tuấn, Hùng, Dũng, Quang, Thanh, Long, Hải, Nam, Phúc, Khoa, Đức"),
        children=_names(
            "Bảo, Khánh, An, Vy, Anh, Kevin, Tiffany, Vivian, Brandon, Jenny, Huy, Emily"
        ),
        family_names=_names(
            "Nguyen, Tran, Le, Pham, Hoang, Huynh, Phan, Vu, Vo, Dang, Bui, Do, Ho, Ngo, Duong, Ly"
        ),
        race_ethnicity=(("asian",),),
    ),
    Community(
        key="chinese_simplified",
        language="zh-Hans",
        weight=2.5,
        zone_weights=(0.3, 0.5, 0.2),
        women=_names("Fang, Xiuying, Jing, Li Na, Min, Yan, Hui, Xin, Yu, Ting"),
        men=_names("Wei, Jun, Lei, Tao, Qiang, Hao, Jian, Peng, Bo, Yong"),
        children=_names(
            "Emma, Kevin, Ethan, Zihan, Yuxuan, Haoran, Xinyi, Ruoxi, Andy, Grace, Eric, Lucy"
        ),
        family_names=_names(
            "Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu, Hu, "
            "Guo, Lin, He"
        ),
        race_ethnicity=(("asian",),),
    ),
    Community(
        key="chinese_traditional",
        language="zh-Hant",
        weight=1.5,
        zone_weights=(0.3, 0.5, 0.2),
        women=_names("Ka Yan, Wai Man, Siu Ling, Mei Ling, Shu Fen, Ya Ting, Pui Yee"),
        men=_names("Kwok Wing, Chi Keung, Chih Hao, Wing Kei, Ka Ho, Chun Wai, Ming"),
        children=_names("Jason, Kelly, Cindy, Kenneth, Hoi Yan, Yu Ting, Ivan, Karen"),
        family_names=_names("Chan, Wong, Cheung, Lau, Leung, Ho, Lam, Ng, Chow, Tsai, Kuo, Chiu"),
        race_ethnicity=(("asian",),),
    ),
    Community(
        key="arabic",
        language="ar",
        weight=3.5,
        zone_weights=(0.25, 0.25, 0.5),
        women=_names(
            "Fatima, Aisha, Mariam, Noor, Huda, Amal, Layla, Rania, Samira, Hanan, Zainab, Yasmin"
        ),
        men=_names(
            "Mohammed, Ahmed, Ali, Omar, Khalid, Youssef, Hassan, Ibrahim, Mustafa, Tariq, "
            "Samir, Karim"
        ),
        children=_names(
            "Adam, Yusuf, Omar, Zayd, Lina, Sara, Jana, Maryam, Hana, Rayan, Ali, Nour"
        ),
        family_names=_names(
            "Al-Sayed, Haddad, Khalil, Mansour, Saleh, Nasser, Hussein, Abdullah, Darwish, "
            "Ibrahim, Qasim, Aziz, Hamdan, Al-Masri, Jaber, Yousef"
        ),
        race_ethnicity=(("middle_eastern_north_african",), ("middle_eastern_north_african",)),
    ),
    Community(
        key="haitian",
        language="ht",
        weight=3,
        zone_weights=(0.3, 0.4, 0.3),
        women=_names(
            "Marie, Nadège, Guerline, Mirlande, Fabienne, Rose-Marie, Widline, Nathalie, "
            "Carline, Roseline, Ketly, Yolande"
        ),
        men=_names(
            "Jean, Pierre, Jean-Baptiste, Wilner, Jacques, Frantz, Emmanuel, Ronald, "
            "Kervens, Wisly, Dieuseul, Fritz"
        ),
        children=_names(
            "Wideline, Kervens, Stanley, Naïka, Daphnée, Loveline, Samuel, Sarah, Jeff, "
            "Christelle, Mackenson, Djenny"
        ),
        family_names=_names(
            "Jean-Louis, Pierre, Joseph, Charles, Louis, Baptiste, Dorval, Etienne, Desir, "
            "Francois, Alexis, Saint-Fleur, Augustin, Celestin, Noel, Dorsainvil"
        ),
        race_ethnicity=(("black_african_american",),),
    ),
    Community(
        key="somali",
        language="so",
        weight=3,
        zone_weights=(0.1, 0.2, 0.7),
        women=_names(
            "Hodan, Amina, Fadumo, Sahra, Halimo, Khadra, Ifrah, Nasra, Asha, Ubah, Hawa, Deeqa"
        ),
        men=_names(
            "Abdi, Mohamed, Abdirahman, Hassan, Ahmed, Farah, Yusuf, Omar, Abdullahi, Mahad, "
            "Liban, Guled"
        ),
        children=_names(
            "Ayaan, Hamza, Sagal, Hibo, Najma, Bilal, Ilhan, Zakariye, Ikran, Khalid, Hafsa, "
            "Mustafe"
        ),
        family_names=_names(
            "Ali, Hassan, Mohamed, Farah, Abdi, Warsame, Jama, Osman, Ahmed, Aden, Ismail, "
            "Yusuf, Hussein, Nur, Dahir, Egal"
        ),
        race_ethnicity=(("black_african_american",),),
    ),
    Community(
        key="tagalog",
        language="tl",
        weight=2.5,
        zone_weights=(0.35, 0.35, 0.3),
        women=_names(
            "Maria Cristina, Rowena, Marites, Jocelyn, Rosalie, Lorna, Analyn, Marivic, "
            "Jennifer, Cherry, Divina, Rhea"
        ),
        men=_names(
            "Jose, Rodel, Romeo, Arnel, Reynaldo, Ernesto, Ramil, Jun, Danilo, Rommel, "
            "Eduardo, Noel"
        ),
        children=_names(
            "Angelo, Joshua, Princess, Kyla, Jericho, Bea, Andrea, Mark, Nicole, Francis, "
            "Janelle, Miguel"
        ),
        family_names=_names(
            "Santos, Reyes, Cruz, Bautista, Ocampo, Garcia, Mendoza, Torres, Dela Cruz, "
            "Villanueva, Aquino, Ramos, Castillo, Manalo, Pascual, Dizon, Soriano, Navarro"
        ),
        race_ethnicity=(("asian",), ("asian", "native_hawaiian_pacific_islander")),
    ),
)

COMMUNITIES_BY_KEY = {community.key: community for community in COMMUNITIES}

ACCESSIBILITY_NOTES: tuple[str, ...] = (
    "Uses a wheelchair: please meet in step-free rooms.",
    "Deaf: needs an ASL interpreter at meetings.",
    "Hard of hearing: prefers text messages to phone calls.",
    "Low vision: large print or screen-reader-friendly documents, please.",
    "Has a service dog.",
    "Cannot read well: please call or explain documents in person.",
)
